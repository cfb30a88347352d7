/* zf_net_stub.c - keeps the zfnet library non-empty while src/net grows. */
int zf_net_linked(void);
int zf_net_linked(void) { return 1; }
