"""Every use of a private (``_name``) API of Textual, textual-serve or Rich, one module per area.

Each function here names the upstream member it relies on, and ``tests/compat/`` has a
test per use that fails if an upgrade moves or renames it.
"""
