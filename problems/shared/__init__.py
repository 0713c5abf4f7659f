"""Encodings and derivation helpers shared by several exams (importable as `shared.*`)."""
