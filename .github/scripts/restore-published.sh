#!/usr/bin/env bash
# Restore the last published outputs (the gh-pages branch, which ci.yml writes) into folder $1.
# Before the first publish there is no branch: the folder is left empty and the build starts the history.
set -euo pipefail
into=${1:?usage: restore-published.sh DIR}
mkdir -p "$into"
status=0
git ls-remote --exit-code --heads origin gh-pages >/dev/null || status=$?
if [ "$status" = 2 ]; then  # 2: no such branch (anything else is an error and fails the step)
  echo "no gh-pages branch yet: nothing published to start from"
  exit 0
fi
[ "$status" = 0 ] || exit "$status"
git fetch --quiet origin gh-pages
git archive FETCH_HEAD | tar -x -C "$into"
echo "restored the outputs published at $(git rev-parse --short FETCH_HEAD) into $into"
