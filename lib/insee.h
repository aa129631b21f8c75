/*
 * insee.h - French administrative identifiers
 *
 * Shape and checksum checks of the codes INSEE assigns: SIREN (legal
 * units, EPCIs included) and SIRET (establishments), the Code officiel
 * géographique (COG) of communes, départements and régions, and the
 * levels of the grille communale de densité. These say whether a code
 * could exist, not that it does: the COG changes every year.
 */
#ifndef PARTICIPE_INSEE_H
#define PARTICIPE_INSEE_H

/*
 * 1 when s is exactly 9 ASCII digits with a valid Luhn checksum (La
 * Poste's 356000000 is one), else 0; NULL is 0.
 */
int insee_siren_valid(const char *s);

/*
 * 1 when s is exactly 14 ASCII digits with a valid Luhn checksum, or a
 * SIRET of La Poste (SIREN 356000000) whose digit sum is a multiple of 5,
 * INSEE's one documented exception; else 0.
 */
int insee_siret_valid(const char *s);

/*
 * 1 when 'code' has the shape of a COG code of that kind of collectivity:
 *   "commune"     5 chars: département 01-19, 21-95, 2A or 2B then 3
 *                 digits, or 971-978 then 2 digits ("75056", "2A004",
 *                 "97411")
 *   "departement" 01-19, 21-95, 2A, 2B, or 971-976
 *   "region"      exactly 2 digits
 * "epci" and "other" have no COG code (EPCIs are known by their SIREN) and,
 * like any other kind or a NULL argument, give 0.
 */
int insee_cog_valid(const char *kind, const char *code);

/* Levels of the grille communale de densité (7 levels, since 2022). */
#define INSEE_DENSITY_MIN 1
#define INSEE_DENSITY_MAX 7

/* 1 when cls is a level of the grille communale de densité, 1..7. */
int insee_density_valid(int cls);

/* INSEE's French label of a density level, or NULL when not a level. */
const char *insee_density_label(int cls);

#endif
