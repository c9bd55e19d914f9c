"""Every use of a private (``_name``) API of Textual, textual-serve or Rich, one module per
upstream area, each with a test that fails if an upgrade moves what it relies on."""
