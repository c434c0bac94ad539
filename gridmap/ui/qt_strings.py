"""Texts of Qt's own dialogs that Qt's Chinese translation (``qtbase_zh_CN.qm`` shipped with
PySide6) does not have for Qt 6: Qt 6 added mnemonics to these labels of the file dialog,
so the old translations ("Look in:", "Files of type:") no longer match.  Marked here so
lupdate puts them into gridmap's own .ts file in Qt's context; gridmap's translator answers
when Qt's has nothing (see :func:`gridmap.ui.i18n.install`)."""

from PySide6.QtCore import QT_TRANSLATE_NOOP

QT_MISSING = (
    QT_TRANSLATE_NOOP("QFileDialog", "&Look in:"),
    QT_TRANSLATE_NOOP("QFileDialog", "Files of &type:"),
)
