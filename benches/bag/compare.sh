#!/bin/sh
# BAG import vs GDAL's LVBAG driver on the same synthetic extract, side by side.
#
#   benches/bag/compare.sh SYNTHETIC_DIR [BINARY]
#
# SYNTHETIC_DIR is what make_synthetic.py wrote (pnd/ and vbo/ folders of
# numbered parts). BINARY defaults to target/release/binnenstad. binnenstad
# reads both folders in one run and writes buildings.geojson (RD New, units
# joined to panden); ogr2ogr writes every pand voorkomen and every unit
# voorkomen to GeoJSON (two runs: GeoJSON holds one layer), with no join.
# Wall time, CPU time (user + system) and peak memory from GNU time; outputs go
# to a temporary folder. On a shared machine wall time depends on the others'
# load; CPU time less so (binnenstad parses files on all cores, ogr2ogr on one).
set -eu
dir=$1
bin=${2:-target/release/binnenstad}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "extract: $(du -sh "$dir" | cut -f1) in $(ls "$dir"/pnd | wc -l) PND + $(ls "$dir"/vbo | wc -l) VBO parts; $(nproc) cores"
measure() {
    label=$1; shift
    /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$@" > "$tmp/log" 2>&1 || { cat "$tmp/log"; exit 1; }
    read -r secs user sys kb < "$tmp/time"
    cpu=$(echo "$user + $sys" | bc)
    echo "$label: $secs s wall, $cpu s CPU, peak $((kb / 1024)) MB"
    echo "$secs" > "$tmp/$label.secs"
    echo "$cpu" > "$tmp/$label.cpu"
}
measure binnenstad "$bin" import bag "$dir/pnd" "$dir/vbo" --out "$tmp/out"
grep -E "buildings|units " "$tmp/log" || true
measure ogr2ogr-pnd ogr2ogr -f GeoJSON "$tmp/pnd.geojson" "$dir/pnd"
measure ogr2ogr-vbo ogr2ogr -f GeoJSON "$tmp/vbo.geojson" "$dir/vbo"
ours=$(cat "$tmp/binnenstad.secs")
gdal=$(echo "$(cat "$tmp/ogr2ogr-pnd.secs") + $(cat "$tmp/ogr2ogr-vbo.secs")" | bc)
ours_cpu=$(cat "$tmp/binnenstad.cpu")
gdal_cpu=$(echo "$(cat "$tmp/ogr2ogr-pnd.cpu") + $(cat "$tmp/ogr2ogr-vbo.cpu")" | bc)
echo "ogr2ogr total: $gdal s wall, $gdal_cpu s CPU"
echo "binnenstad is $(echo "scale=1; $gdal / $ours" | bc)x faster in wall time, $(echo "scale=1; $gdal_cpu / $ours_cpu" | bc)x in CPU time"
uptime
