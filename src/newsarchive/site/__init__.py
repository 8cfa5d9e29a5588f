"""The site model: what the build knows of every article, and what it derives from them.

:mod:`.articles` is the plain record kept per article (one value per field);
:mod:`.structure` keeps, article by article, what pages exist and what each lists
(listings, sections, periods, people/companies/topics, neighbours, chips); :mod:`.facts`
names what pages read of it, by scope; :mod:`.entities` has the entity pages' names, slugs
and ranking helpers; :mod:`.site` puts it together for one build. Nothing here imports
Pelican or renders anything.
"""
