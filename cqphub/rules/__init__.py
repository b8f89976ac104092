"""The legal rules engine: pure Python, no Django import (a test enforces it)."""
