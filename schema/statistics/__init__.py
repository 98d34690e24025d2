"""Recognition rates per nationality and border-procedure capacity per member state."""
