#!/usr/bin/env bash
# The release steps, the same on a laptop and in .github/workflows/release.yml:
#
#   scripts/release.sh version               the version the tag names: v1.2.0 -> 1.2.0
#                                            (tag from $RELEASE_TAG, else the CI tag build)
#   scripts/release.sh books                 the manuscripts, as a JSON list: books/*/ when
#                                            the repository has them, else manuscript
#   scripts/release.sh build OUT BOOK...     set up (scripts/setup.sh), build every edition
#                                            of each BOOK into OUT, verify OUT
#   scripts/release.sh gather OUT DIR...     verify each DIR (one build job's output), put
#                                            their files together in OUT, verify OUT
#   scripts/release.sh publish TAG DIR       create or update the GitHub release TAG with
#                                            every file of DIR (gh; needs GH_TOKEN)
#
# Verifying a directory: SHA256SUMS lists every file in it and `sha256sum -c`
# passes, and every book has its .epub, .pdf, .txt and manifest (`publish verify`).
# $PUBLISH names the publish command to use instead of setting up .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "release: $*" >&2; exit 1; }

publish() {
  if [ -n "${PUBLISH:-}" ]; then
    "$PUBLISH" "$@"
  else
    .venv/bin/publish "$@"
  fi
}

release_version() {
  local tag="${RELEASE_TAG:-}"
  if [ -z "$tag" ] && [ "${GITHUB_REF_TYPE:-}" = tag ]; then
    tag="${GITHUB_REF_NAME:-}"
  fi
  [ -n "$tag" ] || die "no tag: set RELEASE_TAG (e.g. v1.2.0) or build a tag in CI"
  if ! [[ "$tag" =~ ^v[0-9]+(\.[0-9]+){0,2}([-+][0-9A-Za-z][0-9A-Za-z.-]*)?$ ]]; then
    die "tag '$tag' is not a version (v1.2.3, v1.2.3-rc.1); nothing was built or uploaded"
  fi
  echo "${tag#v}"
}

verify() {
  local dir="$1"
  publish verify "$dir"
  (cd "$dir" && sha256sum --quiet --strict -c SHA256SUMS) \
    || die "$dir: a checksum does not match; nothing was uploaded"
}

command="${1:-}"
shift || true
case "$command" in
  version)
    release_version
    ;;
  books)
    shopt -s nullglob
    books=(books/*/book.toml)
    if [ ${#books[@]} -eq 0 ]; then
      echo '["manuscript"]'
    else
      printf '%s\n' "${books[@]%/book.toml}" \
        | python3 -c 'import json, sys; print(json.dumps(sys.stdin.read().split()))'
    fi
    ;;
  build)
    [ $# -ge 2 ] || die "usage: release.sh build OUT BOOK..."
    out="$1"; shift
    version="$(release_version)"
    [ -n "${PUBLISH:-}" ] || scripts/setup.sh
    rm -rf "$out"
    publish all "$@" -o "$out" --version-label "$version"
    verify "$out"
    ;;
  gather)
    [ $# -ge 2 ] || die "usage: release.sh gather OUT DIR..."
    out="$1"; shift
    rm -rf "$out"
    mkdir -p "$out"
    for dir in "$@"; do
      verify "$dir"
      for file in "$dir"/*; do
        name="$(basename "$file")"
        [ "$name" = SHA256SUMS ] && continue
        if [ -e "$out/$name" ] && ! cmp -s "$file" "$out/$name"; then
          die "$name comes from two build jobs with different contents"
        fi
        cp "$file" "$out/$name"
      done
      cat "$dir/SHA256SUMS" >> "$out/SHA256SUMS.all"
    done
    sort -u -k2 "$out/SHA256SUMS.all" > "$out/SHA256SUMS"
    rm "$out/SHA256SUMS.all"
    verify "$out"
    ;;
  publish)
    [ $# -eq 2 ] || die "usage: release.sh publish TAG DIR"
    tag="$1"; dir="$2"
    RELEASE_TAG="$tag" release_version >/dev/null
    verify "$dir"
    command -v gh >/dev/null || die "gh (GitHub CLI) is not installed"
    if gh release view "$tag" >/dev/null 2>&1; then
      gh release upload "$tag" "$dir"/* --clobber
    else
      gh release create "$tag" "$dir"/* --title "$tag" --verify-tag \
        --notes "Every edition of each book, with SHA256SUMS: check a download with \`sha256sum -c SHA256SUMS --ignore-missing\`."
    fi
    ;;
  *)
    sed -n '2,18p' "$0" >&2
    exit 2
    ;;
esac
