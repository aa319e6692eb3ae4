-- Memory use per request. What the log states (MLX peak memory), the load's KV cache and the
-- part of it this request's context filled, the load's memory (/api/ps size) and the machine sample
-- nearest the request's end (only within two sampling intervals). NULL = unknown, never a guess.
ALTER TABLE requests ADD COLUMN peak_memory_bytes INTEGER;
ALTER TABLE requests ADD COLUMN model_memory_bytes INTEGER;
ALTER TABLE requests ADD COLUMN kv_bytes INTEGER;
ALTER TABLE requests ADD COLUMN kv_used_bytes INTEGER;
ALTER TABLE requests ADD COLUMN kv_fill REAL;
ALTER TABLE requests ADD COLUMN memory_used_bytes INTEGER;
ALTER TABLE requests ADD COLUMN memory_pressure TEXT CHECK (memory_pressure IN ('normal', 'warn', 'critical'));
ALTER TABLE requests ADD COLUMN swap_used_bytes INTEGER;
ALTER TABLE requests ADD COLUMN ollama_footprint_bytes INTEGER;
