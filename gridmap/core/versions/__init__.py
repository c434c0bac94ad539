"""Plan versions and the change map (再版对照): named versions kept in the project file
(:mod:`.store`), the diff of two plans (:mod:`.diff`) and its outputs (:mod:`.outputs`)."""

from .store import (VersionError, delete_version, find_version, list_versions, load_version,  # noqa: F401
                    restore_command, save_version)
