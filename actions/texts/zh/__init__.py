"""The Chinese versions of actions/texts/*: the same names, the same placeholders, one module per English one."""
