"""Settings split by environment: base, dev, test and prod."""
