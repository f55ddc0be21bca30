"""relations domain."""
