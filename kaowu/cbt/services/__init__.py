"""Write paths of the 机考: attempts (build, sign-in, start, pause, hand-in, scoring) and answers (save)."""
