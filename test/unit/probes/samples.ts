// Verbatim command outputs of real machines, each named by its machine or by the public report it was
// posted in, that more than one probe test reads. Every byte is as captured, trailing spaces included;
// a test that needs a variant derives it from these rather than keeping its own copy.

/** SYS-3 (24 GB M4 under pressure), its vm.swapusage line, verbatim. */
export const SYS3_SWAPUSAGE = 'vm.swapusage: total = 14780.00M  used = 13673.06M  free = 1073.94M  (encrypted)';

/** Decimal-comma locale (Powerlevel9k/powerlevel9k#1108), vm.swapusage line, verbatim. */
export const SWAPUSAGE_DECIMAL_COMMA = 'vm.swapusage: total = 1024,00M  used = 379,25M  free = 644,75M  (encrypted)';

/** VM-1 (32 GB Apple Silicon, 16 KiB pages), verbatim. */
export const VM1 = `Mach Virtual Memory Statistics: (page size of 16384 bytes)
Pages free:                              672496.
Pages active:                            603336.
Pages inactive:                          423203.
Pages speculative:                       189273.
Pages throttled:                              0.
Pages wired down:                        138461.
Pages purgeable:                          23794.
"Translation faults":                8562066515.
Pages copy-on-write:                  226512987.
Pages zero filled:                   5727857504.
Pages reactivated:                     40136506.
Pages purged:                           3333202.
File-backed pages:                       555649.
Anonymous pages:                         660163.
Pages stored in compressor:              234879.
Pages occupied by compressor:             99631.
Decompressions:                        12700927.
Compressions:                          27847332.
Pageins:                               78476782.
Pageouts:                               3089198.
Swapins:                                      7.
Swapouts:                                    16.
`;

/** TOP-1 (the same 32 GB mini as VM-1), the summary block only, verbatim (trailing spaces kept). */
export const TOP1_SUMMARY = `Processes: 561 total, 3 running, 558 sleeping, 2465 threads 
2026/05/29 00:30:10
Load Avg: 1.99, 1.87, 1.79 
CPU usage: 4.31% user, 18.96% sys, 76.72% idle 
SharedLibs: 967M resident, 151M data, 136M linkedit.
MemRegions: 162336 total, 6183M resident, 630M private, 1452M shared.
PhysMem: 19G used (2105M wired, 1510M compressor), 13G unused.
VM: 229T vsize, 5703M framework vsize, 7(0) swapins, 16(0) swapouts.
Networks: packets: 88246076/101G in, 76887271/74G out.
Disks: 119428668/2106G read, 65380891/3105G written.
`;

/** PSI of an idle system (troglobit/watchdogd#25), verbatim. */
export const PSI_IDLE = `some avg10=0.00 avg60=0.00 avg300=0.00 total=0
full avg10=0.00 avg60=0.00 avg300=0.00 total=0
`;

/** PSI of a thrashing machine (tobixen/thrash-protect#28), verbatim. */
export const PSI_THRASHING = `some avg10=70.24 avg60=68.52 avg300=69.91 total=3669981445
full avg10=57.59 avg60=58.06 avg300=60.38 total=3402802362
`;

/** /proc/meminfo (open-falcon/falcon-plus#230), verbatim, some lines left out. */
export const MEMINFO = `MemTotal:       16773009 kB
MemFree:          360239 kB
MemAvailable:    8625638 kB
Buffers:          550883 kB
Cached:          7327684 kB
SwapCached:            0 kB
SwapTotal:             0 kB
SwapFree:              0 kB
`;
