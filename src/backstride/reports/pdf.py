"""PDF from the report's HTML through WeasyPrint (needs pango; installed by scripts/setup.sh)."""

from __future__ import annotations

from backstride.errors import ConfigError


def html_to_pdf(html: str) -> bytes:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: the pango system library is missing
        raise ConfigError(f"PDF output is not available here: {exc}",
                          hint="run scripts/setup.sh (it installs WeasyPrint and pango), or use --format html") from exc
    # No base_url and no external resources: the document is self-contained.
    pdf = HTML(string=html).write_pdf()
    if pdf is None:  # pragma: no cover - write_pdf returns bytes when no target is given
        raise ConfigError("WeasyPrint returned no PDF", hint="use --format html")
    return bytes(pdf)
