"""Load the desk's translations: Chinese by default, English (the source strings) as the second language."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

LANGUAGES = ("zh_CN", "en")
I18N_DIR = Path(__file__).resolve().parent.parent / "resources" / "i18n"


def install_translator(app: QCoreApplication, language: str, *, i18n_dir: Path = I18N_DIR) -> QTranslator | None:
    """Install the translator for ``language`` and return it (None for English, which needs none).

    Raises FileNotFoundError when the compiled .qm is missing, so a broken bundle is noticed.
    """
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; choose one of {', '.join(LANGUAGES)}")
    if language == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English))
        return None
    qm = i18n_dir / f"csdesk_{language}.qm"
    translator = QTranslator(app)
    if not translator.load(str(qm)):
        raise FileNotFoundError(f"translation {qm} is missing: run scripts/setup.sh (it compiles resources/i18n)")
    app.installTranslator(translator)
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    return translator


def remove_translator(app: QCoreApplication, translator: QTranslator | None) -> None:
    """Back to English: remove the translator and the Chinese locale (which picks e.g. Chinese category and
    department names), so nothing of the other language stays behind."""
    if translator is not None:
        app.removeTranslator(translator)
    QLocale.setDefault(QLocale(QLocale.Language.English))
