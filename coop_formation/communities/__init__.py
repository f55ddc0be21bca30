"""communities domain."""
