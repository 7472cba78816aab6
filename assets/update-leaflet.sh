#!/usr/bin/env bash
# Updates the vendored Leaflet (assets/leaflet/) from the npm registry.
# Usage: assets/update-leaflet.sh [VERSION]   (default: the version in assets/leaflet/VERSION)
# kaart.html embeds leaflet.js and leaflet.css inline (src/render/kaart.rs, include_str!),
# so the page needs no network. Leaflet is BSD-2-Clause: LICENSE is kept beside it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
version="${1:-$(cat "$here/leaflet/VERSION")}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "leaflet@$version" >/dev/null && tar xzf leaflet-*.tgz)
for f in dist/leaflet.js dist/leaflet.css LICENSE; do
  cp "$tmp/package/$f" "$here/leaflet/$(basename "$f")"
done
# No source map beside it: drop the comment that would ask for one.
sed -i "/^\/\/# sourceMappingURL=/d" "$here/leaflet/leaflet.js"
echo "$version" > "$here/leaflet/VERSION"
# The images the CSS names (layer switcher, markers) are not used: kaart.html draws
# circle markers and its own layer list, so no url() needs to resolve offline.
echo "leaflet $version -> $here/leaflet"
