-- The GGUF's own `general.name` of a load known only by its blob: a display hint, not an Ollama name.
ALTER TABLE loads ADD COLUMN display_name TEXT;
