"""Door scanning inputs: decoders, webcam capture, keyboard-wedge, HID-POS and serial scanners."""
