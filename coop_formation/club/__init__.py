"""club domain."""
