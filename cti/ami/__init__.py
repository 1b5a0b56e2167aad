"""The desk's trustworthy AMI layer over panoramisk: typed messages, a supervised link, typed actions."""
