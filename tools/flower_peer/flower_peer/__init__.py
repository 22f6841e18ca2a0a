"""Flower peer of `fedmllm protocol-benchmark` (issue #17, goal 2)."""
