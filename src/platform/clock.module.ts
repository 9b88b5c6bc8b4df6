import { Module } from '@nestjs/common';
import { CLOCK, systemClock } from '../shared/clock';

/**
 * Provides CLOCK (the system clock; tests override it with a FixedClock). In the platform layer so
 * that every layer that reads the time, the platform's own modules included, can import it.
 */
@Module({
  providers: [{ provide: CLOCK, useValue: systemClock }],
  exports: [CLOCK],
})
export class ClockModule {}
