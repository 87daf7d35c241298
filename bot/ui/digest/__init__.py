"""What the weekly digest, the Excel export and the справка look like: texts, keyboards,
the chart, and the plain-text form of locale keys the export's workbook uses."""
