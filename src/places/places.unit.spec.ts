import { DISTRICTS } from '../../bench/workload/geography';
import { placeData } from './place-data';
import { PLACES_VERSION, PLACES_VERSIONS, checkSeizurePlace, findDistrict, findState, numberRanges } from './places';

const data = placeData(PLACES_VERSION)!;
const states = [...data.states.values()];
const covered = states.filter((s) => s.constituencies.covered);
const everyAc = covered.flatMap((s) => [...s.acs.values()].map((ac) => ({ state: s, ac })));

/** A small seeded generator, so the property tests are repeatable. */
function random(seed: number): () => number {
  return () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
}

describe('places data', () => {
  it('ships the current version and keeps it in the registry', () => {
    expect(PLACES_VERSIONS).toContain(PLACES_VERSION);
    expect(() =>
      checkSeizurePlace({ state: 'UP', district: 'UP-VNS', assemblyConstituency: 390, parliamentaryConstituency: 77 }, '1999.1'),
    ).toThrow(/unknown places data version/);
  });

  it('has the 28 states and 8 union territories', () => {
    expect(states.filter((s) => s.state.kind === 'state')).toHaveLength(28);
    expect(states.filter((s) => s.state.kind === 'union_territory')).toHaveLength(8);
  });

  it('has every district of its LGD export, a plausible number', () => {
    const districts = states.flatMap((s) => s.districts);
    expect(districts).toHaveLength(739);
    expect(districts.length).toBeGreaterThan(700);
    expect(districts.length).toBeLessThan(850);
    for (const d of districts) expect(d.code).toMatch(/^[A-Z]{2,3}-[A-Z0-9]{2,12}$/);
  });

  it('has the ACs and PCs of the covered states; 543 PCs with the uncovered ones', () => {
    expect(everyAc).toHaveLength(3880);
    const missing = covered.flatMap((s) => (s.constituencies.covered ? s.constituencies.acsMissingFromSource : []));
    expect(missing).toHaveLength(27);
    const pcs = covered.reduce((n, s) => n + s.pcs.size, 0);
    expect(pcs).toBe(523);
    // Assam 14, Jammu and Kashmir 5 and Ladakh 1 are not covered by this version.
    expect(
      states
        .filter((s) => !s.constituencies.covered)
        .map((s) => s.state.code)
        .sort(),
    ).toEqual(['AS', 'JK', 'LA']);
    expect(pcs + 14 + 5 + 1).toBe(543);
  });

  it('gives every AC a PC and districts that exist in its state', () => {
    for (const { state, ac } of everyAc) {
      expect(state.pcs.has(ac.pc)).toBe(true);
      for (const code of ac.districts) expect(findDistrict(code)?.state).toBe(state.state.code);
    }
  });
});

describe('findState and findDistrict', () => {
  it('finds states by code and by the documented aliases', () => {
    expect(findState('TG')?.name).toBe('Telangana');
    expect(findState('TS')?.code).toBe('TG');
    expect(findState('OR')?.code).toBe('OD');
    expect(findState('UK')?.code).toBe('UT');
    expect(findState('XX')).toBeUndefined();
  });

  it.each([
    ['UP-VNS', 'Varanasi'],
    ['UP-LKO', 'Lucknow'],
    ['UP-AGR', 'Agra'],
    ['MH-MUM', 'Mumbai'],
    ['MH-PUN', 'Pune'],
    ['TN-CHN', 'Chennai'],
    ['TN-CBE', 'Coimbatore'],
    ['KA-BLR', 'Bengaluru Urban'],
    ['KA-MYS', 'Mysuru'],
    ['WB-KOL', 'Kolkata'],
    ['RJ-JPR', 'Jaipur'],
    ['RJ-BMR', 'Barmer'],
    ['GJ-AMD', 'Ahmadabad'],
    ['GJ-KCH', 'Kachchh'],
    ['PB-ASR', 'Amritsar'],
    ['PB-LDH', 'Ludhiana'],
    ['TG-HYD', 'Hyderabad'],
    ['AP-VSP', 'Visakhapatanam'],
    ['BR-PAT', 'Patna'],
    ['MP-IDR', 'Indore'],
    ['DL-NDL', 'New Delhi'],
    ['KL-TVM', 'Thiruvananthapuram'],
    ['OD-KHD', 'Khordha'],
    ['AS-KMM', 'Kamrup Metro'],
    ['MN-IMW', 'Imphal West'],
  ])('resolves the alias %s to %s, in its state', (alias, name) => {
    const district = findDistrict(alias);
    expect(district?.name).toBe(name);
    expect(district?.state).toBe(alias.split('-')[0]);
    expect(findDistrict(district!.code)).toBe(district);
    expect(district!.code).toBe(`${district!.state}-${String(district!.lgd).padStart(3, '0')}`);
    expect(findDistrict(`${district!.state}-${district!.lgd}`)).toBe(district);
  });
});

describe('checkSeizurePlace', () => {
  const varanasi = { state: 'UP', district: 'UP-VNS', assemblyConstituency: 390, parliamentaryConstituency: 77 };

  it('accepts Varanasi Cantt (AC 390) in Varanasi PC (77)', () => {
    expect(data.states.get('UP')!.acs.get(390)?.name).toBe('Varanasi Cantt.');
    expect(data.states.get('UP')!.pcs.get(77)?.name).toBe('Varanasi');
    expect(checkSeizurePlace(varanasi)).toEqual([]);
    expect(checkSeizurePlace({ ...varanasi, district: 'UP-187' })).toEqual([]);
  });

  it('says which districts the state has when the district is elsewhere', () => {
    const [problem] = checkSeizurePlace({
      ...varanasi,
      state: 'MH',
      district: 'UP-LKO',
      assemblyConstituency: 187,
      parliamentaryConstituency: 31,
    });
    expect(problem.field).toBe('district');
    expect(problem.reason).toMatch(/^district UP-LKO \(Lucknow\) is not in state MH; districts of MH include MH-\d+ \(/);
  });

  it('names the AC numbers of the district when the AC lies elsewhere', () => {
    expect(checkSeizurePlace({ ...varanasi, district: 'UP-LKO', parliamentaryConstituency: 77 })).toEqual([
      {
        field: 'assemblyConstituency',
        reason:
          'assembly constituency 390 is not in district UP-LKO (Lucknow); its ACs are 168–176; AC 390 (Varanasi Cantt.) lies in UP-VNS (Varanasi)',
      },
    ]);
  });

  it('names the PC the AC belongs to', () => {
    expect(checkSeizurePlace({ ...varanasi, parliamentaryConstituency: 76 })).toEqual([
      {
        field: 'parliamentaryConstituency',
        reason: 'parliamentary constituency 76 (Chandauli) does not contain AC 390 (Varanasi Cantt.), which belongs to PC 77 (Varanasi)',
      },
    ]);
  });

  it('refuses unknown states, ACs and PCs with the valid ranges', () => {
    expect(checkSeizurePlace({ ...varanasi, state: 'ZZ' })[0].reason).toMatch(
      /^state ZZ is not a state or union territory; use one of AN, AP, /,
    );
    expect(checkSeizurePlace({ ...varanasi, district: 'UP-XYZ' })[0].reason).toMatch(
      /^district UP-XYZ is unknown; districts of UP include /,
    );
    const problems = checkSeizurePlace({ ...varanasi, assemblyConstituency: 404, parliamentaryConstituency: 81 });
    expect(problems.map((p) => p.reason)).toEqual([
      'assembly constituency 404 is not in state UP; its ACs are 1–403',
      'parliamentary constituency 81 is not in state UP; its PCs are 1–80',
    ]);
  });

  it('skips only what this version does not cover', () => {
    // Assam's 2023 delimitation is newer than the sources: the state and district are still checked.
    expect(checkSeizurePlace({ state: 'AS', district: 'AS-KMM', assemblyConstituency: 999, parliamentaryConstituency: 99 })).toEqual([]);
    expect(checkSeizurePlace({ state: 'AS', district: 'UP-VNS', assemblyConstituency: 1, parliamentaryConstituency: 1 })[0].field).toBe(
      'district',
    );
    // Indore-2 (205) is missing from the AC source: its district and PC cannot be checked.
    expect(checkSeizurePlace({ state: 'MP', district: 'MP-IDR', assemblyConstituency: 205, parliamentaryConstituency: 26 })).toEqual([]);
    expect(checkSeizurePlace({ state: 'MP', district: 'MP-IDR', assemblyConstituency: 205, parliamentaryConstituency: 30 })[0].field).toBe(
      'parliamentaryConstituency',
    );
  });

  it('accepts every AC with each of its own districts and its own PC', () => {
    for (const { state, ac } of everyAc) {
      const districts = ac.districts.length ? ac.districts : [state.districts[0].code];
      for (const district of districts) {
        const place = { state: state.state.code, district, assemblyConstituency: ac.no, parliamentaryConstituency: ac.pc };
        expect([place, checkSeizurePlace(place)]).toEqual([place, []]);
      }
    }
  });

  it('refuses a random wrong PC or a random district without the AC', () => {
    const next = random(2024);
    for (let i = 0; i < 2000; i++) {
      const { state, ac } = everyAc[Math.floor(next() * everyAc.length)];
      const pcs = [...state.pcs.keys()].filter((n) => n !== ac.pc);
      if (pcs.length > 0 && ac.districts.length > 0) {
        const pc = pcs[Math.floor(next() * pcs.length)];
        const place = { state: state.state.code, district: ac.districts[0], assemblyConstituency: ac.no, parliamentaryConstituency: pc };
        expect(checkSeizurePlace(place).map((p) => p.field)).toEqual(['parliamentaryConstituency']);
      }
      const others = [...state.acsByDistrict.keys()].filter((d) => !ac.districts.includes(d));
      if (others.length > 0 && ac.districts.length > 0) {
        const district = others[Math.floor(next() * others.length)];
        const place = { state: state.state.code, district, assemblyConstituency: ac.no, parliamentaryConstituency: ac.pc };
        expect(checkSeizurePlace(place).map((p) => p.field)).toEqual(['assemblyConstituency']);
      }
    }
  });

  it.each(DISTRICTS.map((d) => [d.code, d] as const))('accepts the bench combination of %s', (_code, d) => {
    const place = {
      state: d.state,
      district: d.code,
      assemblyConstituency: d.assemblyConstituency,
      parliamentaryConstituency: d.parliamentaryConstituency,
    };
    expect(checkSeizurePlace(place)).toEqual([]);
  });
});

describe('numberRanges', () => {
  it('folds runs of numbers', () => {
    expect(numberRanges([390, 384, 385, 386, 391, 1])).toBe('1, 384–386, 390–391');
  });
});
