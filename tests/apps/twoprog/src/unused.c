int never_linked(void) { return 1; }
