"""The site model: what the build knows of every article, and what it derives from them.

:mod:`.articles` is the plain record kept per article (one value per field), :mod:`.derive`
computes from all records what pages exist and what each lists (listings, sections,
periods, people/companies/topics, neighbours, chips), :mod:`.entities` the entity pages'
names, slugs and ranking helpers. Nothing here imports Pelican or renders anything.
"""
