int demo_extra;
