"""Language knowledge: normalisation of Chinese and English text, per-language profiles."""
