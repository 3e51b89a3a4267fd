import { describe, expect, it } from 'vitest';
import { priceSource } from './priceCatalog';

describe('priceSource', () => {
  it('names the shipped catalog in words and a loaded list by its address, with the model count', () => {
    expect(priceSource({ source: 'shipped', as_of: '2025-11-25', models: 44 })).toBe('the catalog shipped with Meridian, 44 models');
    expect(priceSource({ source: 'https://prices.example/list.json', as_of: '2026-12-01', models: 2150 })).toBe(
      'https://prices.example/list.json, 2,150 models',
    );
  });

  it('shows no source when the server sent only the date', () => {
    expect(priceSource(undefined)).toBeNull();
  });
});
