"""The link with SISKOP2MI, the national register: the person's ID PMI written where staff see it
(`numbers`), and the office's reconciliation of a SISKOP2MI export with Jalur (`reading` reads the
file, `compare` sorts and compares its rows, `services` keeps and accepts them, `selectors` and
`views` show them)."""
