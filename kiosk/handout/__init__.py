"""Take-home QR, printed handouts and the handover slip for the ambulance (issue 18).

No Textual import anywhere in this package, and nothing heavy on import: the PDF and
receipt libraries (the optional ``print`` extra) are loaded only when something is
printed. The modules, and what the UI calls:

- :mod:`kiosk.handout.qr`: :func:`~kiosk.handout.qr.card_qr` gives the half-block lines
  of a card's source QR for the space the screen has, or the reason it cannot be shown.
- :mod:`kiosk.handout.printing`: :class:`~kiosk.handout.printing.Printing` prints a card
  or the handover slip on the site's printer off the UI thread, with a deadline, and
  returns a :class:`~kiosk.handout.printing.PrintResult` with words for the visitor and
  the reason for staff.
- :mod:`kiosk.handout.handover`: :class:`~kiosk.handout.handover.HandoverRecord` collects
  what the timers did (in memory only) and gives the lines of the "For the ambulance" page.
- :mod:`kiosk.handout.document`: what a printout says, as blocks shared by the PDF
  (:mod:`kiosk.handout.pdf`) and the receipt (:mod:`kiosk.handout.receipt`).
- :mod:`kiosk.handout.printers`: the ``printer`` site setting (checked by ``kiosk.site``).
"""
