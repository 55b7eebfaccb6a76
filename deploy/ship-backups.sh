#!/usr/bin/env bash
# Copies the newest backup directory (deploy/backup.py) off the machine to
# IOM_BACKUP_SHIP_TO (an rsync destination, as for the checkpoints), with its
# checkpoints.jsonl, tables.tsv and SHA256SUMS beside the dump. Never deletes remotely:
# the destination keeps its own retention.
set -euo pipefail
dir="${IOM_BACKUP_DIR:-/var/lib/iom/backups}"
dest="${IOM_BACKUP_SHIP_TO:?set IOM_BACKUP_SHIP_TO in /etc/iom/iom.env}"
newest="$(find "$dir" -mindepth 1 -maxdepth 1 -type d -name 'iom-*' ! -name '*.partial' | sort | tail -n 1)"
[ -n "$newest" ] || { echo "ship-backups: no backup in $dir" >&2; exit 1; }
exec rsync --recursive --times --timeout=600 "$newest" "$dest"
