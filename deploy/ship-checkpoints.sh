#!/usr/bin/env bash
# Ships the access log's signed checkpoints off the machine (docs/deploy.md, "Access-log
# checkpoints"), run by iom-checkpoint.service after each checkpoint_access_log.
#
# IOM_CHECKPOINT_SHIP_TO is an rsync destination the database's owner cannot write to
# or rewrite: e.g. iom-audit@audit.example.org:iom/ (an account whose authorized_keys
# entry allows only `rrsync -wo`, on a file system with append-only attributes), or a
# mounted write-once share. The file only grows, so each run sends the new lines.
set -euo pipefail
src="${IOM_ACCESS_LOG_CHECKPOINT_DIR:?set IOM_ACCESS_LOG_CHECKPOINT_DIR}/checkpoints.jsonl"
dest="${IOM_CHECKPOINT_SHIP_TO:?set IOM_CHECKPOINT_SHIP_TO in /etc/iom/iom.env}"
[ -f "$src" ] || { echo "ship-checkpoints: no $src yet" >&2; exit 0; }
exec rsync --append-verify --times --timeout=60 "$src" "$dest"
