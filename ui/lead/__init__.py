"""Lead mode: the team wallboard, queue tiles, alerts, Appendix A indicators and the lead's actions."""
