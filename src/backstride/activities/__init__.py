"""Activity files (FIT, GPX, TCX, gzip, zip, bulk exports) to :class:`Activity` values.

Pure: readers take bytes and return values; nothing here touches storage or settings.
"""
