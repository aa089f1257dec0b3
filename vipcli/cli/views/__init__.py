"""The renderers: how each command's result reads on a terminal.

One module per command module (`views.due` renders `vip due`), imported only when a
result is rendered, so `vip --help` and `--json` never compile or load them. Everything
is printed through vipcli.cli.output: data is plain text, never markup.
"""
