/* fuzz-driver.c
 *
 * Copyright 2026 The Stamp authors
 *
 * This program is free software: you can redistribute it and/or modify
 * it under the terms of the GNU General Public License as published by
 * the Free Software Foundation, either version 3 of the License, or
 * (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Runs a fuzz target without libFuzzer, so every build (and the sanitizer
 * pass of build-aux/run-tests) exercises it: each file of the seed corpus,
 * then a fixed number of mutations of them from a fixed seed, so a failure
 * repeats. With clang, -Dfuzzing=true links the same targets to libFuzzer
 * for open-ended runs instead. */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include <glib.h>

#define MUTATIONS_PER_SEED 3000
#define FUZZ_MAX_INPUT          8192

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
insert_bytes (GByteArray   *array,
              guint         at,
              const guint8 *data,
              guint         len)
{
  guint old_len = array->len;

  g_byte_array_set_size (array, old_len + len);
  memmove (array->data + at + len, array->data + at, old_len - at);
  memcpy (array->data + at, data, len);
}

static GByteArray *
mutate (GRand      *rand,
        GByteArray *seed,
        GPtrArray  *seeds)
{
  GByteArray *input = g_byte_array_new ();
  guint rounds = g_rand_int_range (rand, 1, 8);

  g_byte_array_append (input, seed->data, seed->len);

  for (guint i = 0; i < rounds && input->len < FUZZ_MAX_INPUT; i++)
    {
      guint at = input->len > 0 ? g_rand_int_range (rand, 0, input->len) : 0;
      /* Bytes that matter to line and reply parsers. */
      static const guint8 interesting[] = {
        '\r', '\n', '-', ' ', '.', '0', '5', '9', 0, 0xff, '=',
      };
      guint8 byte;

      switch (g_rand_int_range (rand, 0, 5))
        {
        case 0: /* flip a bit */
          if (input->len > 0)
            input->data[at] ^= 1 << g_rand_int_range (rand, 0, 8);
          break;

        case 1: /* insert an interesting byte */
          byte = interesting[g_rand_int_range (rand, 0, G_N_ELEMENTS (interesting))];
          insert_bytes (input, at, &byte, 1);
          break;

        case 2: /* delete a run */
          if (input->len > 0)
            {
              guint len = g_rand_int_range (rand, 1, 16);

              g_byte_array_remove_range (input, at, MIN (input->len - at, len));
            }
          break;

        case 3: /* splice in part of another seed */
          {
            GByteArray *other = g_ptr_array_index (seeds, g_rand_int_range (rand, 0, seeds->len));

            if (other->len > 0)
              {
                guint from = g_rand_int_range (rand, 0, other->len);
                guint len = g_rand_int_range (rand, 1, 64);

                insert_bytes (input, at, other->data + from, MIN (other->len - from, len));
              }
          }
          break;

        default: /* repeat a run, to reach length limits */
          if (input->len > 0)
            {
              guint want = g_rand_int_range (rand, 1, 32);
              guint len = MIN (input->len - at, want);
              g_autofree guint8 *copy = g_memdup2 (input->data + at, len);

              for (guint r = g_rand_int_range (rand, 1, 200); r > 0 && input->len < FUZZ_MAX_INPUT; r--)
                insert_bytes (input, at, copy, len);
            }
        }
    }

  return input;
}

/* With STAMP_FUZZ_LAST set, each input is written there before it runs, so
 * the one that crashed can be replayed. */
static void
run_one (const guint8 *data,
         gsize         len)
{
  const char *last = g_getenv ("STAMP_FUZZ_LAST");

  if (last != NULL)
    g_file_set_contents (last, (const char *) data, len, NULL);

  LLVMFuzzerTestOneInput (data, len);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) seeds = g_ptr_array_new_with_free_func ((GDestroyNotify) g_byte_array_unref);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261122);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  guint runs = 0;

  if (argc != 2)
    {
      g_printerr ("usage: %s CORPUS-DIR\n", argv[0]);
      return 2;
    }

  dir = g_dir_open (argv[1], 0, &error);
  g_assert_no_error (error);

  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));

  /* In name order: the mutations depend on it, and directory order differs
   * between checkouts, so every machine runs the same inputs. */
  g_ptr_array_sort (names, compare_names);

  for (guint n = 0; n < names->len; n++)
    {
      g_autofree char *path = g_build_filename (argv[1], g_ptr_array_index (names, n), NULL);
      g_autofree char *contents = NULL;
      gsize len;

      g_file_get_contents (path, &contents, &len, &error);
      g_assert_no_error (error);
      g_ptr_array_add (seeds, g_byte_array_append (g_byte_array_new (), (guint8 *) contents, len));
    }
  g_assert_cmpuint (seeds->len, >, 0);

  for (guint i = 0; i < seeds->len; i++)
    {
      GByteArray *seed = g_ptr_array_index (seeds, i);

      run_one (seed->data, seed->len);
      runs++;

      for (guint m = 0; m < MUTATIONS_PER_SEED; m++)
        {
          g_autoptr(GByteArray) input = mutate (rand, seed, seeds);

          run_one (input->data, input->len);
          runs++;
        }
    }

  /* One TAP line, so the test summary counts the run. */
  g_print ("1..1\nok 1 %u inputs from %u seeds\n", runs, seeds->len);
  return 0;
}
