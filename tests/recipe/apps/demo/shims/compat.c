/* compat */
int demo_compat;
