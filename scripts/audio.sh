#!/usr/bin/env bash
# A PulseAudio server with null sinks standing in for a headset and a speaker, for audio tests without a sound card.
#   scripts/audio.sh up | down
set -euo pipefail
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/run/user/$(id -u)}
mkdir -p "$XDG_RUNTIME_DIR"; chmod 700 "$XDG_RUNTIME_DIR"
case "${1:-status}" in
  up)
    ensure_mic() {  # a null sink "mic": tests play the CSR's voice into it; the engine records mic.monitor
      pactl list short sinks | grep -q $'\tmic\t' || \
        pactl load-module module-null-sink sink_name=mic sink_properties=device.description=Microphone >/dev/null
    }
    if pactl info >/dev/null 2>&1; then ensure_mic; echo "audio: pulseaudio already running"; exit 0; fi
    pulseaudio -D --exit-idle-time=-1 --disallow-exit -n \
      --load=module-native-protocol-unix \
      --load="module-null-sink sink_name=headset sink_properties=device.description=Headset" \
      --load="module-null-sink sink_name=speaker sink_properties=device.description=Speaker" \
      --load=module-always-sink 2>/dev/null
    for _ in $(seq 50); do pactl info >/dev/null 2>&1 && break; sleep 0.1; done
    pactl info >/dev/null 2>&1 || { echo "audio: pulseaudio did not start" >&2; exit 1; }
    ensure_mic
    echo "audio: pulseaudio up with null sinks headset, speaker, mic (XDG_RUNTIME_DIR=$XDG_RUNTIME_DIR)"
    ;;
  down)
    pulseaudio --kill 2>/dev/null && echo "audio: stopped" || echo "audio: not running" ;;
  status) pactl info >/dev/null 2>&1 && echo "audio: running" || { echo "audio: not running"; exit 3; } ;;
  *) echo "usage: scripts/audio.sh up|down|status" >&2; exit 2 ;;
esac
