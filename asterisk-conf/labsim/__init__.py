"""The csdesk lab: launcher internals (``labsim.lab``, stdlib only), lab info, and the pjsua2 customer simulator."""
