#!/bin/sh
# The backup service: create the stanza (idempotent), check that WAL archiving works, take a
# full backup now if the newest one is missing or older than a day, then one every day at
# BACKUP_AT (UTC, HH:MM). pgBackRest expires backups and WAL past the retention after each backup.
set -eu
STANZA=perigee
BACKUP_AT="${BACKUP_AT:-02:00}"
MARKER=/tmp/pgbackrest/last-success

backup() {
  if pgbackrest --stanza="$STANZA" --type=full backup; then
    touch "$MARKER"
  else
    echo "perigee-backup: full backup failed; the service turns unhealthy after 26 h without a good backup" >&2
  fi
}

until pg_isready -q -h "${PGHOST:-/var/run/postgresql}" -U postgres; do sleep 2; done
pgbackrest --stanza="$STANZA" stanza-create
pgbackrest --stanza="$STANZA" check

# Newest backup's stop time (epoch seconds) from the JSON info; empty when there is none.
last=$(pgbackrest --stanza="$STANZA" --output=json info | grep -o '"stop":[0-9][0-9]*' | tail -n 1 | cut -d: -f2 || true)
now=$(date -u +%s)
if [ -z "$last" ] || [ $((now - last)) -gt 86400 ]; then
  backup
else
  touch "$MARKER"
fi

while :; do
  now=$(date -u +%s)
  next=$(date -u -d "today ${BACKUP_AT}" +%s)
  [ "$next" -gt "$now" ] || next=$(date -u -d "tomorrow ${BACKUP_AT}" +%s)
  echo "perigee-backup: next full backup at $(date -u -d "@${next}" '+%Y-%m-%d %H:%M UTC')"
  sleep $((next - now))
  backup
done
