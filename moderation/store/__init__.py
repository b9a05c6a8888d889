"""Redis connections: URLs (plain, TLS, Sentinel), one connection module, and command packing."""
