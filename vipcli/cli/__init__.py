"""The command-line interface (Typer): one module per command, renderers in views/.

The language is chosen here, before Typer and its vendored Click are imported: they
translate their own words through the global gettext domain, some of them when their
modules load (SPEC §16; vipcli.i18n).
"""

from vipcli import i18n

i18n.language()
