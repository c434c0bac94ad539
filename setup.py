"""Packaging beyond what pyproject.toml can declare: the translations and icons in ``resources/``
and the sample data in ``sample_layers/`` live at the repository root (the app, the tests and
``resources/i18n/update.py`` use them there) but belong inside the installed package, as
``gridmap/resources`` and ``gridmap/sample_layers`` (found by :mod:`gridmap.core.locations`).
Everything else is in pyproject.toml."""

from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["gridmap", "gridmap.*"]) + ["gridmap.resources", "gridmap.sample_layers"],
    package_dir={"gridmap.resources": "resources", "gridmap.sample_layers": "sample_layers"},
    package_data={
        "gridmap": ["core/outputs/assets/*", "core/outputs/assets/leaflet/*",
                    "core/outputs/assets/leaflet/images/*"],
        # compiled translations and icons only: the .ts sources and the seed stay in the sdist
        "gridmap.resources": ["i18n/*.qm", "icons/*.svg"],
        "gridmap.sample_layers": ["*.gpkg", "*.json", "*.md", "LICENSE.*"],
    },
    exclude_package_data={"gridmap.resources": ["i18n/*.py", "i18n/*.ts"]},
)
