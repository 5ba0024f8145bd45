// The slice of the store human login uses: its own records (see the contract), and identities.

import type { StoreTx } from '../store/contract.js';

export type AuthTx = Pick<StoreTx,
  | 'insertLoginState' | 'takeLoginState'
  | 'insertAuthorizationCode' | 'takeAuthorizationCode'
  | 'insertDeviceCode' | 'findDeviceCode' | 'updateDeviceCode' | 'deleteDeviceCode'
  | 'insertRefreshToken' | 'getRefreshToken' | 'markRefreshTokenUsed' | 'revokeRefreshFamily'
  | 'deleteExpiredAuthRecords' | 'getIdentity'>;

export interface AuthStore extends AuthTx {
  transaction<T>(fn: (tx: AuthTx) => Promise<T>): Promise<T>;
}
