"""Offline-first storage faults: kill -9, concurrent processes, corrupt, read-only and full disks."""
