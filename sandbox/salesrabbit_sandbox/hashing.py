"""Cheap, stable integer hashing: the root of every generated value.

Python's own ``hash`` is salted per process for text, and ``random.Random`` is
too slow to seed a million times, so the sandbox derives each lead's values from
a 64-bit mix of the seed and the lead id (the SplitMix64 finaliser).
"""

from __future__ import annotations

MASK64 = (1 << 64) - 1


def mix64(value: int) -> int:
    """Scramble an integer into 64 well-spread bits; the same input, the same bits."""
    value = (value + 0x9E3779B97F4A7C15) & MASK64
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & MASK64
    return value ^ (value >> 31)


def derive(seed: int, salt: int) -> int:
    """Return a 64-bit key for one purpose (``salt``) under one seed."""
    return mix64(mix64(seed & MASK64) ^ salt)
