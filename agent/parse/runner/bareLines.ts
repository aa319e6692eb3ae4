// Runner and helper output without a `function:` prefix: continuation lines of multi-line llama.cpp
// messages, the GPU-discovery C code's printf lines (Ollama ≤ v0.3), debugger output after a ggml
// abort, the first-start key generation, and the systemd / gin-debug lines that share the stream.
// Only checked after every prefixed rule failed, so these lines are rare and order does not matter.

const BARE: readonly RegExp[] = [
  /^\.+$/, // model load progress dots
  /^\s+Device \d+: /, // ggml_cuda_init / ggml_vulkan device list
  /^\s*- \w+\s*: .*\(\d+ MiB, \d+ MiB free\)\s*$/, // llama-server device_info list
  /^\s+[a-z_]+ = [-\w.]+(?:, [a-z_]+ = [-\w.]+)*,?\s*$/, // llama-server sampler params, indented
  /<\|[\w.-]+\|>|<(?:start|end)_of_turn>|\[\/?INST\]/, // chat template example (srv init: … example_format)
  /^'$/, // the closing quote of that example
  /^\s+current device: \d+, in function /, // after a CUDA error
  /^[\w./\\:-]+\.(?:c|cc|cpp|cu|m|mm|h|hpp):\d+: /, // ggml abort / GGML_ASSERT with a C source location
  /^(?:\(lldb\) |\[New LWP |\[New Thread |\[Thread debugging |\[Inferior \d|Using host libthread_db|#\d+\s+0x[0-9a-f]+ in )/, // backtrace via lldb/gdb
  /^\[(?:GPU-[\w-]+|\d+)\] (?:CUDA|Compute|ROCm|Name|oneAPI)/, // gpu_info_*.c per-device debug lines
  /^(?:ggml|llama|llm)_\w+ /, // a llama.cpp/ggml function that printed its name without a colon
  /^loading library \S+$/, // Ollama's dyn_ext_server shim (v0.1.2x)
  /^(?:CUDA driver version: |releasing \w+ (?:driver )?library$|CUDA error\b|Log start$|llama server listening )/,
  /^Couldn't find '.*'\. Generating new private key\.$|^Your new public key is:\s*$|^ssh-ed25519 \S+$/,
  /^ollama\(\d+\) MallocStackLogging: /, // macOS, every subprocess spawn
  /^ - using (?:env|code):\t/, // gin's debug-mode warning, continued
  /^(?:Started|Starting|Stopped|Stopping) .*(?:\.service\b|[Oo]llama)|^[\w@.-]+\.service: /, // systemd about the unit
  /^-- (?:Boot [0-9a-f]{32}|Logs begin at .*|No entries|Reboot) --$/, // journalctl's own separators
  /^(?:Could not attach to process\.|ptrace: |No stack\.$|The program is not being run\.$)/, // gdb after a ggml abort
  /^\s+[A-Za-z_]\w*\(.*\)$/, // the failing call a CUDA error names: `  cublasCreate_v2(&cublas_handles[device])`
  /^\/\S+\.so(?:\.\d+)*\([^)]*\)\s*\[0x[0-9a-f]+\]$/, // glibc backtrace frame: `/usr/lib/ollama/libggml-base.so(+0x1a2b)[0x7f00…]`
];

export function isBareNoise(line: string): boolean {
  for (const re of BARE) if (re.test(line)) return true;
  return false;
}
