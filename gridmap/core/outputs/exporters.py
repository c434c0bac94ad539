"""The official outputs as export-registry functions (``func(plan, out, **options) -> ExportResult``).

:mod:`gridmap.core.exchange.registry` names these, so ``gridmap export --format pdf|png|tiff|atlas|docx|html``
and the app's export both reach :func:`gridmap.core.outputs.write_output` without going through the CLI.
An :class:`~gridmap.core.outputs.errors.OutputError` (bad options, a file that cannot be written) propagates;
callers turn it into their own message.

>>> export_pdf.__name__, export_html.__name__
('export_pdf', 'export_html')
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["export_pdf", "export_png", "export_tiff", "export_atlas", "export_docx", "export_html"]


def _exporter(fmt: str):
    def export(plan, out, **options):
        from ..exchange.registry import ExportResult
        from . import write_output

        info = write_output(plan, fmt, Path(out), options)
        return ExportResult(paths=[Path(out)], warnings=list((info or {}).get("warnings", [])))
    export.__name__ = f"export_{fmt}"
    export.__doc__ = f"Write the {fmt} output of ``plan`` to ``out`` (for the export registry)."
    return export


export_pdf = _exporter("pdf")
export_png = _exporter("png")
export_tiff = _exporter("tiff")
export_atlas = _exporter("atlas")
export_docx = _exporter("docx")
export_html = _exporter("html")
