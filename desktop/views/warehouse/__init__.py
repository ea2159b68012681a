"""The spare-parts warehouse (备件库, domain.md §7): the part master, bins and the shelf map, stock movements
(receive, issue first-in first-out, transfer, return, scrap, reverse), the lists and the printed documents.

Every change goes through desktop.services.parts / stock; the screens only gather what the user typed, call
one service function per action, and show what comes back.
"""
